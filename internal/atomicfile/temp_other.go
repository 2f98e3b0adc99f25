//go:build !linux

package atomicfile

import "io/fs"

// createTemp makes the temporary file: a named one (see named).
func createTemp(dir string, mode fs.FileMode) (*named, error) { return createNamed(dir, mode) }
