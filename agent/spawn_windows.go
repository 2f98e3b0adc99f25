package agent

// Spawn reports ErrUnsupported.
func Spawn(string, string) (int, error) { return 0, ErrUnsupported }
