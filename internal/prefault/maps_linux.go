package prefault

// mappingOf returns the bounds of the mapping in maps, the text of
// /proc/self/maps, that contains addr, and whether that mapping is
// executable. ok is false when no well-formed line contains addr.
func mappingOf(maps []byte, addr uintptr) (lo, hi uintptr, exec, ok bool) {
	for len(maps) > 0 {
		line := maps
		maps = nil
		for i, c := range line {
			if c == '\n' {
				line, maps = line[:i], line[i+1:]
				break
			}
		}
		// "lo-hi perms offset dev inode path"
		lo, rest, ok1 := hexPrefix(line)
		if !ok1 || len(rest) == 0 || rest[0] != '-' {
			continue
		}
		hi, rest, ok2 := hexPrefix(rest[1:])
		if !ok2 || len(rest) < 5 || rest[0] != ' ' || lo >= hi {
			continue
		}
		if lo <= addr && addr < hi {
			return lo, hi, rest[3] == 'x', true
		}
	}
	return 0, 0, false, false
}

// ptrDigits is how many hexadecimal digits a uintptr holds.
const ptrDigits = (32 << (^uintptr(0) >> 63)) / 4

// hexPrefix reads the lower-case hexadecimal number that b starts with.
func hexPrefix(b []byte) (v uintptr, rest []byte, ok bool) {
	n := 0
	for ; n < len(b); n++ {
		c := b[n]
		var d uintptr
		switch {
		case '0' <= c && c <= '9':
			d = uintptr(c - '0')
		case 'a' <= c && c <= 'f':
			d = uintptr(c-'a') + 10
		default:
			return v, b[n:], n > 0 && n <= ptrDigits
		}
		v = v<<4 | d
	}
	return v, nil, n > 0 && n <= ptrDigits
}
