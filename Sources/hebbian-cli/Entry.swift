// The process entry point, alone in its file so fuzzing builds can link the CLI's code with
// libFuzzer's own main instead.
@main
enum Entry {
  static func main() { HebbianMain.main() }
}
