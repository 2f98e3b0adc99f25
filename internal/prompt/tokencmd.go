package prompt

// cmdExeLine is the command line that makes cmd.exe run command exactly as
// written: /s strips only the outer pair of quotes added here, so quotes
// inside the command ("C:\Program Files\...") reach cmd.exe as the user
// typed them; /d skips AutoRun commands from the registry.
func cmdExeLine(command string) string {
	return `cmd.exe /d /s /c "` + command + `"`
}
