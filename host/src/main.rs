use clap::Parser as _;

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "info,wasmtime=warn,cranelift=warn".into()),
        )
        .with_writer(std::io::stderr)
        .init();
    // A bad MITRA_TODAY is an error here, not a panic at the first reading
    // of the clock.
    if let Err(bad) = mitra_sdk::clock::check_env() {
        eprintln!("error: {}: {bad}", mitra_sdk::clock::ENV);
        return std::process::ExitCode::FAILURE;
    }
    match mitra::cli::run(mitra::cli::Cli::parse()) {
        Ok(code) => std::process::ExitCode::from(code as u8),
        Err(error) => {
            eprintln!("error: {error:#}");
            std::process::ExitCode::FAILURE
        }
    }
}
