package profile

import (
	"fmt"
	"math/rand/v2"
	"regexp"
	"strings"
)

// diffCase is a config and a credentials file for the differential test.
type diffCase struct {
	name       string
	cfg, creds string
}

const (
	hcKeys = "aws_access_key_id = AKIAAAAAAAAAAAAAAAAA\naws_secret_access_key = s3cr3t\n"
	hcMFA  = "arn:aws:iam::123456789012:mfa/dev"
)

// handCases take each feature of the shared files the issue lists, one
// at a time.
var handCases = []diffCase{
	{"inline # comment", "[profile dev]\nmfa_serial = " + hcMFA + " # phone\nregion = eu-west-1 #x\n", "[dev]\n" + hcKeys},
	{"inline ; comment", "[profile dev]\nregion = eu-west-1 ;x\nmfa_serial = " + hcMFA + "\t; phone\n", "[dev]\n" + hcKeys},
	{"# without a space is part of the value", "[profile dev]\nmfa_serial = " + hcMFA + "#phone\nregion = eu-west-1;x\n", "[dev]\n" + hcKeys},
	{"comment lines", "# top\n; top\n[profile dev]\n# region = us-east-1\n  ; indented = comment\nregion = eu-west-1\n", "# c\n[dev]\n;aws_access_key_id = AKIAOLD\n" + hcKeys},
	{"= and :", "[profile dev]\nregion: eu-west-1\nmfa_serial: " + hcMFA + "\nrole_session_name = a:b\nexternal_id: x=y\n", "[dev]\naws_access_key_id: AKIAAAAAAAAAAAAAAAAA\naws_secret_access_key=s3cr3t\n"},
	{"whitespace around names and values", "  [  profile   dev  ]  \n\tregion\t=\teu-west-1\t\nmfa_serial   =   " + hcMFA + "   \n", "[ dev ]\naws_access_key_id=AKIAAAAAAAAAAAAAAAAA\n aws_secret_access_key = s3cr3t \n"},
	{"indented lines", "[profile dev]\nregion = eu-west-1\n  mfa_serial = " + hcMFA + " # promoted\n\tduration_seconds = 3600\n", "[dev]\n" + hcKeys},
	{"continuation lines", "[profile dev]\ncredential_process = mfa-git\n  credential-process\n\t--profile dev\nregion = eu-west-1\n  more text\n", "[dev]\n" + hcKeys},
	{"nested s3 sub-section", "[profile dev]\ns3 =\n  max_concurrent_requests = 10\n  region = us-east-1\nregion = eu-west-1\nservices = svc\n[services svc]\nsts =\n  endpoint_url = https://sts.example # kept\niam =\n  endpoint_url = \"https://iam.example\"\n", "[dev]\n" + hcKeys},
	{"empty value opens a block, then a key", "[profile dev]\nregion =\n  foo = bar\nmfa_serial =\nendpoint_url = http://e\n", "[dev]\n" + hcKeys},
	{"duplicate sections and keys", "[profile dev]\nregion = us-east-1\nmfa_serial = arn:aws:iam::123456789012:mfa/old\n[profile other]\nregion = x\n[profile dev]\nregion = eu-west-1\n", "[dev]\naws_access_key_id = AKIAOLD\n[dev]\n" + hcKeys + "aws_access_key_id = AKIAAAAAAAAAAAAAAAAA\n"},
	{"[profile default] beside [default]", "[profile default]\nregion = eu-west-1\n[default]\nregion = us-east-1\nmfa_serial = " + hcMFA + "\n", "[default]\n" + hcKeys},
	{"[default] before [profile default]", "[default]\nregion = us-east-1\n[profile default]\nmfa_serial = " + hcMFA + "\n", "[default]\n" + hcKeys},
	{"[profile x] in the credentials file", "[profile dev]\nregion = eu-west-1\n", "[profile dev]\n" + hcKeys + "[profile solo]\n" + hcKeys},
	{"[x] in the config file", "[dev]\nregion = eu-west-1\n[solo]\nregion = us-east-1\n", "[dev]\n" + hcKeys},
	{"case of names and keys", "[Profile dev]\nregion = us-east-1\n[profile Dev]\nREGION = eu-west-1\nMfa_Serial = " + hcMFA + "\n[DEFAULT]\nregion = x\n", "[Dev]\nAWS_ACCESS_KEY_ID = AKIAAAAAAAAAAAAAAAAA\naws_secret_access_key = s3cr3t\n[DEV]\n" + hcKeys},
	{"UTF-8 BOM", "\ufeff[default]\nregion = eu-west-1\n[profile dev]\nregion = us-east-1\n", "\ufeff[dev]\n" + hcKeys},
	{"BOM before a comment", "\ufeff# c\n[profile dev]\nregion = eu-west-1\n", "[dev]\n" + hcKeys},
	{"CRLF", "[profile dev]\r\nregion = eu-west-1\r\nmfa_serial = " + hcMFA + " # c\r\ncredential_process = a\r\n  b\r\n", "[dev]\r\naws_access_key_id = AKIAAAAAAAAAAAAAAAAA\r\naws_secret_access_key = s3cr3t\r\n"},
	{"empty values", "[profile dev]\nregion =\nmfa_serial = \"\"\nendpoint_url=\n", "[dev]\n" + hcKeys + "aws_session_token =\n"},
	{"empty value in the credentials file wins", "[profile dev]\nregion = eu-west-1\nmfa_serial = " + hcMFA + "\n", "[dev]\n" + hcKeys + "region =\nmfa_serial=\n"},
	{"last line without newline", "[profile dev]\nregion = eu-west-1", "[dev]\n" + hcKeys + "aws_session_token = tok"},
	{"quotes", "[profile dev]\nregion = \"eu-west-1\"\nmfa_serial = '" + hcMFA + "'\nrole_session_name = \"a'\nexternal_id = \"x\" # c\n", "[dev]\naws_access_key_id = \"AKIAAAAAAAAAAAAAAAAA\"\naws_secret_access_key = 's3cr3t'\n"},
	{"header with text after ]", "[profile dev]\nregion = eu-west-1\n[profile other] trailing\nregion = us-east-1\n[profile third] # comment\nregion = ap-south-1\n", "[dev]\n" + hcKeys},
	{"keys only in one file, merge list", "[profile dev]\nregion = eu-west-1\nmfa_process = ykman oath code\nendpoint_url = http://cfg\n", "[dev]\n" + hcKeys + "mfa_process = other\nendpoint_url = http://creds\nregion = us-east-1\nservices = s\n[solo]\n" + hcKeys + "mfa_process = solo-cmd\n"},
	{"half an access key pair", "[profile dev]\naws_access_key_id = AKIACFG\nregion = eu-west-1\n[profile half]\naws_secret_access_key = x\n", "[dev]\n" + hcKeys + "[half]\nregion = r\n[solo]\naws_access_key_id = AKIAONLY\n"},
	{"keys in config, pair in creds", "[profile dev]\n" + hcKeys + "aws_session_token = cfgtok\n", "[dev]\naws_access_key_id = AKIACREDS\naws_secret_access_key = credsecret\n"},
	{"role profile", "[profile role]\nrole_arn = arn:aws:iam::123456789012:role/r\nsource_profile = dev\nexternal_id = ext\nrole_session_name = me\nduration_seconds = 0x10\n[profile dev]\nmfa_serial = " + hcMFA + "\n", "[dev]\n" + hcKeys},
	{"booleans and settings", "[profile dev]\nuse_fips_endpoint = TRUE\nuse_dualstack_endpoint = yes\nignore_configured_endpoint_urls = True\nsts_regional_endpoints = legacy\nca_bundle = /etc/ca.pem\n", "[dev]\n" + hcKeys},
	{"empty header and lines before any section", "region = eu-west-1\n[]\nregion = us-east-1\n[profile dev]\nregion = ap-south-1\n", "mfa_serial = x\n[dev]\n" + hcKeys},
	{"header spelling: tabs and inner spaces", "[profile\tdev]\nregion = eu-west-1\n[profile  a  b]\nregion = x\n", "[dev]\n" + hcKeys + "[a  b]\n" + hcKeys},
}

// Pools for generated files.
var (
	genNames  = []string{"default", "dev", "prod", "Dev", "a.b", "x_y", "role"}
	genKeys   = append(diffKeys[:len(diffKeys)-2:len(diffKeys)-2], "output", "s3", "sts", "cli_pager", "AWS_ACCESS_KEY_ID", "Region", "MFA_SERIAL")
	genValues = []string{
		"eu-west-1", "us-east-1", hcMFA, "arn:aws:iam::123456789012:role/admin", "AKIAAAAAAAAAAAAAAAAA", "s3cr3t", "3600", "0x20",
		"true", "TRUE", "false", "legacy", "regional", "http://127.0.0.1:9", "dev", "prod", "mfa-git credential-process --profile dev",
		"a#b", "a;b", "a=b", "a:b", "x y", "", "svc",
	}
	genComments = []string{"", "", "", " # c", " ; c", "\t# c", "\t;c", "#nospace", " #", " ;"}
)

// genCase makes a random pair of files from seed, mixing every feature
// of handCases.
func genCase(seed uint64) diffCase {
	r := rand.New(rand.NewPCG(seed, 0x6d66612d676974))
	pick := func(s []string) string { return s[r.IntN(len(s))] }
	file := func(creds bool) string {
		var b strings.Builder
		if r.IntN(15) == 0 {
			b.WriteString("\ufeff")
		}
		if r.IntN(10) == 0 {
			fmt.Fprintf(&b, "%s = %s\n", pick(genKeys), pick(genValues))
		}
		for range 1 + r.IntN(4) {
			name := pick(genNames)
			typ := ""
			switch n := r.IntN(10); {
			case !creds && name != "default" && n < 8, !creds && name == "default" && n < 3, creds && n == 0:
				typ = "profile"
			}
			h := name
			if typ != "" {
				h = typ + []string{" ", "  ", "\t"}[r.IntN(3)] + name
			}
			switch r.IntN(12) {
			case 0:
				h = " " + h + " "
			case 1:
				h = "[" + h + "] # c"
			case 2:
				h = "[" + h + "] text"
			case 3:
				h = "[" + h + "]]"
			}
			if !strings.HasPrefix(h, "[") {
				h = "[" + h + "]"
			}
			b.WriteString(pick([]string{"", "", " ", "\t"}) + h + "\n")
			for range r.IntN(6) {
				switch r.IntN(14) {
				case 0:
					b.WriteString(pick([]string{"# comment", "; comment", "  # indented", ""}) + "\n")
				case 1: // nested block
					fmt.Fprintf(&b, "%s =\n", pick([]string{"s3", "sts", "iam", "region"}))
					for range 1 + r.IntN(3) {
						fmt.Fprintf(&b, "%s%s = %s%s\n", pick([]string{"  ", "\t", " "}), pick([]string{"endpoint_url", "max_concurrent_requests", "region"}), pick(genValues), pick(genComments))
					}
				case 2: // continuation
					fmt.Fprintf(&b, "%s = %s\n  %s\n", pick(genKeys), pick(genValues), pick([]string{"more", "--profile dev", "tail # c"}))
				case 3: // indented property
					fmt.Fprintf(&b, "  %s = %s%s\n", pick(genKeys), pick(genValues), pick(genComments))
				default:
					v := pick(genValues)
					switch r.IntN(8) {
					case 0:
						v = `"` + v + `"`
					case 1:
						v = "'" + v + "'"
					}
					fmt.Fprintf(&b, "%s%s%s%s%s%s\n", pick([]string{"", "", "", " "}), pick(genKeys), pick([]string{" ", "", "\t"}), pick([]string{"=", "=", ":"}), pick([]string{" ", "", "  "}), v+pick(genComments))
				}
			}
		}
		if !creds && r.IntN(3) == 0 {
			fmt.Fprintf(&b, "[services svc]\nsts =\n  endpoint_url = %s%s\niam =\n  endpoint_url = %s\n", pick(genValues), pick(genComments), pick(genValues))
		}
		s := b.String()
		if r.IntN(6) == 0 {
			s = strings.ReplaceAll(s, "\n", "\r\n")
		}
		if r.IntN(5) == 0 {
			s = strings.TrimRight(s, "\r\n")
		}
		return s
	}
	return diffCase{name: fmt.Sprintf("generated %d", seed), cfg: file(false), creds: file(true)}
}

// headerLike finds what may be a section name on any line, more widely
// than the reader: the profiles asked for are these, so a section the
// reader missed is still asked about.
var headerLike = regexp.MustCompile(`\[([^\n]*)\]`)

// candidateNames are the profile names worth asking about in c.
func candidateNames(cfg, creds string) []string {
	seen := map[string]bool{"default": true}
	for _, m := range headerLike.FindAllStringSubmatch(cfg+"\n"+creds, -1) {
		for _, n := range []string{m[1], strings.Join(strings.Fields(m[1]), " ")} {
			n = strings.TrimSpace(n)
			seen[n] = true
			if rest, ok := strings.CutPrefix(n, "profile "); ok {
				seen[strings.TrimSpace(rest)] = true
			}
			if i := strings.IndexAny(n, "]#;"); i >= 0 {
				seen[strings.TrimSpace(n[:i])] = true
			}
		}
	}
	delete(seen, "")
	var out []string
	for n := range seen {
		out = append(out, n)
	}
	return out
}
