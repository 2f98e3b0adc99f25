package main

import "errors"

// restartWith is never needed on Windows (keystore.NeedsRestart is false).
func restartWith(string) error { return errors.New("restart is not supported on Windows") }
