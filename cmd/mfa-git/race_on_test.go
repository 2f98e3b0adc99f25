//go:build race

package main

// raceEnabled: every mfa-git the scripts run is this race-instrumented
// test binary, several times heavier than the real one.
const raceEnabled = true
