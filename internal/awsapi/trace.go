package awsapi

import (
	"net/http"
	"time"

	awsmiddleware "github.com/aws/aws-sdk-go-v2/aws/middleware"

	"github.com/mfa-git/mfa-git/internal/trace"
)

// traced is an HTTP transport that traces each attempt of a call: the
// service and operation, the endpoint (scheme, host and path: never the
// body, which holds the code, nor the headers, which hold the signature),
// the HTTP status or the error, and how long it took.
type traced struct {
	next http.RoundTripper
	t    trace.Func
}

func (tr traced) RoundTrip(req *http.Request) (*http.Response, error) {
	start := time.Now()
	resp, err := tr.next.RoundTrip(req)
	ctx := req.Context()
	u := *req.URL
	u.RawQuery, u.User, u.Fragment = "", nil, ""
	if err != nil {
		tr.t.Printf("aws: %s %s %s: %v (%s)", awsmiddleware.GetServiceID(ctx), awsmiddleware.GetOperationName(ctx), u.String(), err, time.Since(start).Round(time.Millisecond))
		return resp, err
	}
	tr.t.Printf("aws: %s %s %s: %s (%s)", awsmiddleware.GetServiceID(ctx), awsmiddleware.GetOperationName(ctx), u.String(), resp.Status, time.Since(start).Round(time.Millisecond))
	return resp, nil
}
