//! `mitra-backends`: serves every simulated department system on its port.

use std::net::{Ipv4Addr, SocketAddr};

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt().with_writer(std::io::stderr).init();
    mitra_sdk::clock::check_env().map_err(|e| anyhow::anyhow!("{}: {e}", mitra_sdk::clock::ENV))?;
    for backend in mitra_backends::backends() {
        let addr = SocketAddr::from((Ipv4Addr::LOCALHOST, backend.port));
        let bound = mitra_backends::spawn(backend.router, addr).await?;
        tracing::info!(department = backend.department, %bound, "backend simulator serving");
    }
    tokio::signal::ctrl_c().await?;
    Ok(())
}
