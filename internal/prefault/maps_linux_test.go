package prefault

import "testing"

func TestMappingOf(t *testing.T) {
	const maps = "00400000-008cc000 r-xp 00000000 fe:00 1234 /usr/bin/mfa-git\n" +
		"008cc000-00dc9000 r--p 004cc000 fe:00 1234 /usr/bin/mfa-git\n" +
		"00dc9000-00e2a000 rw-p 009c9000 fe:00 1234 /usr/bin/mfa-git\n" +
		"c000000000-c004000000 rw-p 00000000 00:00 0 \n" +
		"55d0c3a00000-55d0c3e00000 r-xp 00001000 fe:00 99 /pie/mfa-git\n" +
		"7ffd1c5e0000-7ffd1c601000 rw-p 00000000 00:00 0                          [stack]\n" +
		"ffffffffff600000-ffffffffff601000 --xp 00000000 00:00 0                  [vsyscall]"
	for _, tc := range []struct {
		name   string
		maps   string
		addr   uint64
		lo, hi uint64
		exec   bool
		ok     bool
	}{
		{"code", maps, 0x48d3a0, 0x400000, 0x8cc000, true, true},
		{"first byte", maps, 0x400000, 0x400000, 0x8cc000, true, true},
		{"end is outside", maps, 0x8cc000, 0x8cc000, 0xdc9000, false, true},
		{"data", maps, 0xe00000, 0xdc9000, 0xe2a000, false, true},
		{"heap", maps, 0xc000123456, 0xc000000000, 0xc004000000, false, true},
		{"position-independent", maps, 0x55d0c3a12345, 0x55d0c3a00000, 0x55d0c3e00000, true, true},
		{"last line, no newline", maps, 0xffffffffff600010, 0xffffffffff600000, 0xffffffffff601000, true, true},
		{"unmapped", maps, 0x10, 0, 0, false, false},
		{"empty", "", 0x48d3a0, 0, 0, false, false},
		{"cut after the range", "00400000-008cc000 r-", 0x48d3a0, 0, 0, false, false},
		{"cut inside the range", "00400000-008c", 0x48d3a0, 0, 0, false, false},
		{"upper case", "00400000-008CC000 r-xp 0 0 0\n", 0x48d3a0, 0, 0, false, false},
		{"no dash", "00400000 008cc000 r-xp 0 0 0\n", 0x48d3a0, 0, 0, false, false},
		{"reversed", "008cc000-00400000 r-xp 0 0 0\n", 0x48d3a0, 0, 0, false, false},
		{"17 digits", "00000000000400000-008cc000 r-xp 0 0 0\n", 0x48d3a0, 0, 0, false, false},
		{"bad line skipped", "junk\n00400000-008cc000 r-xp 0 0 0\n", 0x48d3a0, 0x400000, 0x8cc000, true, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if uint64(uintptr(tc.addr)) != tc.addr {
				t.Skip("a 64-bit address, on a 32-bit system")
			}
			lo, hi, exec, ok := mappingOf([]byte(tc.maps), uintptr(tc.addr))
			if uint64(lo) != tc.lo || uint64(hi) != tc.hi || exec != tc.exec || ok != tc.ok {
				t.Errorf("mappingOf(%#x) = %#x, %#x, exec %v, ok %v; want %#x, %#x, exec %v, ok %v",
					tc.addr, lo, hi, exec, ok, tc.lo, tc.hi, tc.exec, tc.ok)
			}
		})
	}
}
