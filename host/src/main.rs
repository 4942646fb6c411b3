use clap::Parser as _;

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    let cli = mitra::cli::Cli::parse();
    mitra::telemetry::logs::init(cli.log_format);
    // A bad MITRA_TODAY is an error here, not a panic at the first reading
    // of the clock.
    if let Err(bad) = mitra_sdk::clock::check_env() {
        eprintln!("error: {}: {bad}", mitra_sdk::clock::ENV);
        return std::process::ExitCode::FAILURE;
    }
    match mitra::cli::run(cli) {
        Ok(code) => std::process::ExitCode::from(code as u8),
        Err(error) => {
            eprintln!("error: {error:#}");
            std::process::ExitCode::FAILURE
        }
    }
}
