package keystore

import "github.com/danieljoos/wincred"

// CleanWinCred removes git's generic credentials ("git:https://HOST") for
// matching hosts from Windows Credential Manager.
func CleanWinCred(match func(host string) bool, dryRun bool) ([]string, error) {
	creds, err := wincred.List()
	if err != nil {
		return nil, err
	}
	var removed []string
	for _, c := range creds {
		h := gitTargetHost(c.TargetName)
		if h == "" || !match(h) {
			continue
		}
		removed = append(removed, "Windows Credential Manager: "+c.UserName+"@"+h)
		if dryRun {
			continue
		}
		g, err := wincred.GetGenericCredential(c.TargetName)
		if err != nil {
			return removed, err
		}
		if err := g.Delete(); err != nil {
			return removed, err
		}
	}
	return removed, nil
}
