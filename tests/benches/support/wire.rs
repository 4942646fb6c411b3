//! Just enough HTTP/1.1 for the load generator and the Graph stand-in:
//! kept-alive connections, one exchange at a time, bytes built before the
//! clock starts. They share the two cores with the host being measured, so
//! they do what `wrk` does and no more (no routing, no header maps, no
//! connection-pool machinery); the host's side is the real axum and hyper.
//! (Included by each bench that needs it with `#[path]`; each uses a part.)
#![allow(dead_code)]

use std::io;

use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio::net::TcpStream;
use tokio::sync::Mutex;

pub(crate) enum Kind {
    Request,
    Response,
}

/// One message read: the response status (0 for a request), the
/// request path ("" for a response) and the body.
pub(crate) struct Message {
    pub(crate) status: u16,
    pub(crate) path: String,
    pub(crate) body: Vec<u8>,
}

pub(crate) struct Conn {
    pub(crate) stream: TcpStream,
    buf: Vec<u8>,
}

impl Conn {
    pub(crate) fn new(stream: TcpStream) -> Self {
        Self { stream, buf: Vec::with_capacity(8192) }
    }

    /// The next message, or `None` when the peer closed between messages.
    pub(crate) async fn next(&mut self, kind: Kind) -> io::Result<Option<Message>> {
        loop {
            if let Some((head, status, path, length)) = parse(&self.buf, &kind)? {
                while self.buf.len() < head + length {
                    if self.stream.read_buf(&mut self.buf).await? == 0 {
                        return Err(io::ErrorKind::UnexpectedEof.into());
                    }
                }
                let body = self.buf[head..head + length].to_vec();
                self.buf.drain(..head + length);
                return Ok(Some(Message { status, path, body }));
            }
            if self.stream.read_buf(&mut self.buf).await? == 0 {
                return if self.buf.is_empty() { Ok(None) } else { Err(io::ErrorKind::UnexpectedEof.into()) };
            }
        }
    }

    /// Answers the request just read; `false` if the peer has gone. Head
    /// and body go in one write, as a server sends a small answer: two
    /// would cost the host a second segment to read and the stand-in a
    /// second system call, on the cores they share.
    pub(crate) async fn respond(&mut self, status: &str, content_type: &str, body: impl AsRef<[u8]>) -> bool {
        let body = body.as_ref();
        let mut response =
            format!("HTTP/1.1 {status}\r\ncontent-type: {content_type}\r\ncontent-length: {}\r\n\r\n", body.len())
                .into_bytes();
        response.extend_from_slice(body);
        self.stream.write_all(&response).await.is_ok()
    }
}

/// `(head length, status, path, content length)` once the head is in.
fn parse(buf: &[u8], kind: &Kind) -> io::Result<Option<(usize, u16, String, usize)>> {
    let invalid = |e: httparse::Error| io::Error::new(io::ErrorKind::InvalidData, e);
    let mut headers = [httparse::EMPTY_HEADER; 32];
    let (head, status, path, headers) = match kind {
        Kind::Request => {
            let mut request = httparse::Request::new(&mut headers);
            let httparse::Status::Complete(head) = request.parse(buf).map_err(invalid)? else { return Ok(None) };
            (head, 0, request.path.unwrap_or("").to_owned(), request.headers)
        }
        Kind::Response => {
            let mut response = httparse::Response::new(&mut headers);
            let httparse::Status::Complete(head) = response.parse(buf).map_err(invalid)? else { return Ok(None) };
            (head, response.code.unwrap_or(0), String::new(), response.headers)
        }
    };
    let length = headers
        .iter()
        .find(|h| h.name.eq_ignore_ascii_case("content-length"))
        .and_then(|h| std::str::from_utf8(h.value).ok()?.trim().parse().ok())
        .unwrap_or(0);
    Ok(Some((head, status, path, length)))
}

/// Connections one pool holds at most, as a real sender's pool does; a
/// request past them waits for one to come free. (Unbounded, a host falling
/// behind drew ever more connections until this process, which holds both
/// ends, ran out of file descriptors.)
pub(crate) const MAX_CONNECTIONS: usize = 4096;

/// Kept-alive connections to one host's webhook, reused as requests finish.
pub(crate) struct Pool {
    pub(crate) addr: std::net::SocketAddr,
    idle: Mutex<Vec<Conn>>,
    open: tokio::sync::Semaphore,
}

impl Pool {
    pub(crate) fn new(addr: std::net::SocketAddr) -> Self {
        Self::with_connections(addr, MAX_CONNECTIONS)
    }

    /// A pool holding at most `connections` at once.
    pub(crate) fn with_connections(addr: std::net::SocketAddr, connections: usize) -> Self {
        let open = tokio::sync::Semaphore::new(connections.clamp(1, tokio::sync::Semaphore::MAX_PERMITS));
        Self { addr, idle: Mutex::new(Vec::new()), open }
    }

    /// Posts one pre-built request; the status it was answered with, or
    /// `None` when no answer came (refused, reset, closed).
    pub(crate) async fn post(&self, request: &[u8]) -> Option<u16> {
        let _connection = self.open.acquire().await.ok()?;
        // A kept-alive connection the host closed while idle (its head
        // timeout) fails at once: then the request goes on a new one, as
        // HTTP clients do.
        let idle = self.idle.lock().await.pop();
        if let Some(conn) = idle
            && let Some((conn, status)) = Self::exchange(conn, request).await
        {
            self.idle.lock().await.push(conn);
            return Some(status);
        }
        let stream = TcpStream::connect(self.addr).await.ok()?;
        let _ = stream.set_nodelay(true);
        let (conn, status) = Self::exchange(Conn::new(stream), request).await?;
        self.idle.lock().await.push(conn);
        Some(status)
    }

    async fn exchange(mut conn: Conn, request: &[u8]) -> Option<(Conn, u16)> {
        conn.stream.write_all(request).await.ok()?;
        let response = conn.next(Kind::Response).await.ok()??;
        Some((conn, response.status))
    }

    /// Forgets the kept-alive connections (their host went away).
    pub(crate) async fn forget(&self) {
        self.idle.lock().await.clear();
    }
}
