fn main() {
    std::process::exit(stacksketch::cli::main());
}
