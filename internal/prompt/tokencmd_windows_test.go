package prompt

import (
	"context"
	"strings"
	"testing"
)

// The command line cmd.exe receives is the user's command, not Go's
// quoting of it (which would turn " into \").
func TestTokenCommandCmdLine(t *testing.T) {
	command := `"C:\Program Files\Yubico\ykman.exe" oath accounts code -s "AWS prod"`
	cmd := tokenCommand(context.Background(), command, false)
	if cmd.SysProcAttr == nil || cmd.SysProcAttr.CmdLine != cmdExeLine(command) {
		t.Fatalf("command line %+v, want %s", cmd.SysProcAttr, cmdExeLine(command))
	}
	if !strings.HasSuffix(strings.ToLower(cmd.Path), `\cmd.exe`) || len(cmd.Args) != 1 {
		t.Errorf("runs %s %q, want cmd.exe and no separate arguments", cmd.Path, cmd.Args)
	}
}
