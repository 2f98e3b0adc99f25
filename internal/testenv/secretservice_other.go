//go:build !unix

package testenv

import "testing"

// holdSecretService: there is no Secret Service to share off Unix.
func holdSecretService(testing.TB) {}
