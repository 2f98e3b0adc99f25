package keystoretest

// ConfusableNames are profile names that differ only by a separator, by
// case, or by a character some backend maps: keys built from any two of
// them must never be equal or one a prefix of the other (logout of "a"
// once removed the sessions of "a/b").
func ConfusableNames() []string {
	return []string{
		"a", "a/b", "a.b", "a_b", "a-b", "a b", "A", "a/", "a//b", "a/./b", "a/../b", "..", ".", "a;b", "a%2fb", "a%2Fb",
		"a_2fb", "_2f", "/", "a\\b", "a:b", "dev", "Dev", "DEV", "prod.eu", "prod/eu", "prod_eu",
	}
}
