//! `ehc-hub`: serve (default), migrate, openapi, create-admin, seed-demo.

fn main() -> std::process::ExitCode {
    ehc_api::cli::main()
}
