package profile

// Region returns the region profile name uses, as Load reads
// it (AWS_REGION, AWS_DEFAULT_REGION, then the profile's region), or ""
// when none is set; a value that cannot be right is refused as Load
// refuses it (checkValues). It needs no keys and no mfa_serial, so it serves any
// profile; a profile in neither file is an error wrapping ErrNoProfile.
func Region(name string, files Files) (string, error) {
	sf := readShared(files)
	raw, err := sf.find(name)
	if err != nil {
		return "", err
	}
	if err := checkValues(name, raw); err != nil {
		return "", err
	}
	return settings(name, sf, raw).Region, nil
}
