package main

import (
	"encoding/xml"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"

	"github.com/rogpeppe/go-internal/testscript"
)

// fakeiam SERIAL...: start an IAM endpoint on loopback whose
// ListMFADevices lists the given serial numbers (Go-quoted, so "\n" is a
// line break), and point AWS_ENDPOINT_URL_IAM at it. It stands for an IAM
// answer mfa-git must not trust.
func cmdFakeIAM(ts *testscript.TestScript, neg bool, args []string) {
	var members strings.Builder
	for _, a := range args {
		serial, err := strconv.Unquote(`"` + a + `"`)
		ts.Check(err)
		var esc strings.Builder
		ts.Check(xml.EscapeText(&esc, []byte(serial)))
		fmt.Fprintf(&members, "<member><UserName>alice</UserName><SerialNumber>%s</SerialNumber></member>", esc.String())
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/xml")
		fmt.Fprintf(w, `<ListMFADevicesResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><ListMFADevicesResult><IsTruncated>false</IsTruncated><MFADevices>%s</MFADevices></ListMFADevicesResult><ResponseMetadata><RequestId>x</RequestId></ResponseMetadata></ListMFADevicesResponse>`, members.String())
	}))
	ts.Defer(srv.Close)
	ts.Setenv("AWS_ENDPOINT_URL_IAM", srv.URL)
}
