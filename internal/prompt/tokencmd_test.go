package prompt

import "testing"

func TestCmdExeLine(t *testing.T) {
	for in, want := range map[string]string{
		`ykman oath accounts code -s AWS`:                        `cmd.exe /d /s /c "ykman oath accounts code -s AWS"`,
		`"C:\Program Files\Yubico\ykman.exe" oath code -s "A B"`: `cmd.exe /d /s /c ""C:\Program Files\Yubico\ykman.exe" oath code -s "A B""`,
		`op item get "AWS prod" --otp`:                           `cmd.exe /d /s /c "op item get "AWS prod" --otp"`,
		`"C:\tools\code.bat"`:                                    `cmd.exe /d /s /c ""C:\tools\code.bat""`,
		`echo 50%% & exit \"x\"`:                                 `cmd.exe /d /s /c "echo 50%% & exit \"x\""`,
	} {
		if got := cmdExeLine(in); got != want {
			t.Errorf("cmdExeLine(%s)\n got %s\nwant %s", in, got, want)
		}
	}
}
