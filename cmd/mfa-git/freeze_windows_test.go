package main

import (
	"errors"
	"os"
)

// freeze is not possible on Windows, which has no SIGSTOP; the scripts
// that use it need a Secret Service and do not run there.
func freeze(*os.Process) error { return errors.New("freeze: no SIGSTOP on Windows") }
