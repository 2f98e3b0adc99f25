package awsapi

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	awsmiddleware "github.com/aws/aws-sdk-go-v2/aws/middleware"

	"github.com/mfa-git/mfa-git/internal/profile"
)

// maxAnswer bounds the body of an answer read from the SSO portal, SSO
// OIDC or the sign-in service: theirs are a few KiB.
const maxAnswer = 1 << 20

// restCall is one call of a REST JSON API that is authorised by a bearer
// token or a DPoP proof rather than signed with SigV4: the IAM Identity
// Center portal, SSO OIDC and the sign-in service, which mfa-git calls
// without the SDK's clients (see sso.go for why).
type restCall struct {
	// Service and Op name the call in the trace and in errors ("SSO",
	// "GetRoleCredentials").
	Service, Op string
	Method, URL string
	// Body is the JSON request body, or nil.
	Body []byte
	// Header gives each attempt's headers (a DPoP proof is made anew
	// for each); nil for none.
	Header func(url string) (http.Header, error)
}

// doREST makes c with p's HTTP settings (CA bundle, proxies), a deadline
// per attempt and up to MaxAttempts tries for network errors, throttling
// and 5xx answers, as the SDK's standard retryer does, and decodes a 2xx
// answer into out. An error answer is an *APIError (code from the
// X-Amzn-ErrorType header or the body's __type, the OAuth error in
// Reason).
func (cl Client) doREST(ctx context.Context, p *profile.Profile, c restCall, out any) error {
	hc, err := httpClient(p, cl.attempt(), cl.Trace)
	if err != nil {
		return err
	}
	ctx = awsmiddleware.SetServiceID(ctx, c.Service)
	ctx = awsmiddleware.SetOperationName(ctx, c.Op)
	for attempt := 0; ; attempt++ {
		err = cl.restAttempt(ctx, hc, c, out)
		if attempt+1 >= MaxAttempts || !retryable(err) {
			return err
		}
		wait, _ := fullJitter{}.BackoffDelay(attempt, err)
		select {
		case <-ctx.Done():
			return err
		case <-time.After(wait):
		}
	}
}

// restAttempt is one try of c.
func (cl Client) restAttempt(ctx context.Context, hc *http.Client, c restCall, out any) error {
	var body io.Reader
	if c.Body != nil {
		body = bytes.NewReader(c.Body)
	}
	req, err := http.NewRequestWithContext(ctx, c.Method, c.URL, body)
	if err != nil {
		return err
	}
	if c.Header != nil {
		h, err := c.Header(req.URL.String())
		if err != nil {
			return err
		}
		req.Header = h
	}
	if c.Body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	req.Header.Set("Accept", "application/json")
	resp, err := hc.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, maxAnswer))
	if err != nil {
		return err
	}
	if resp.StatusCode/100 != 2 {
		return restError(resp, b)
	}
	if err := json.Unmarshal(b, out); err != nil {
		return &malformedAnswer{op: c.Op, err: err}
	}
	return nil
}

// malformedAnswer is a 2xx answer whose body is not the JSON expected.
type malformedAnswer struct {
	op  string
	err error
}

func (e *malformedAnswer) Error() string { return fmt.Sprintf("malformed %s answer: %v", e.op, e.err) }

// restError reads an error answer: the code from X-Amzn-ErrorType, else
// the body's __type or code (without any namespace), the message from
// message, Message or error_description, and an OAuth error field.
func restError(resp *http.Response, b []byte) *APIError {
	var body struct {
		Type        string `json:"__type"`
		Code        string `json:"code"`
		Message     string `json:"message"`
		MessageUC   string `json:"Message"`
		Description string `json:"error_description"`
		Error       string `json:"error"`
	}
	_ = json.Unmarshal(b, &body) // an empty or non-JSON body leaves the status
	code := resp.Header.Get("X-Amzn-ErrorType")
	for _, c := range []string{code, body.Type, body.Code} {
		if c != "" {
			code = c
			break
		}
	}
	code, _, _ = strings.Cut(code, ":")
	if i := strings.LastIndexByte(code, '#'); i >= 0 {
		code = code[i+1:]
	}
	if code == "" {
		code = http.StatusText(resp.StatusCode)
	}
	msg := strings.TrimSpace(cmp.Or(body.Message, body.MessageUC, body.Description))
	if msg == "" {
		msg = "no AWS error in the answer"
	}
	return &APIError{Status: resp.StatusCode, Code: code, Message: msg, Reason: body.Error}
}

// retryable reports whether a try that ended in err is worth another:
// network errors and timeouts of the attempt, throttling, and 5xx.
func retryable(err error) bool {
	var api *APIError
	var bad *malformedAnswer
	switch {
	case err == nil, errors.As(err, &bad), errors.Is(err, context.Canceled):
		return false
	case errors.As(err, &api):
		return api.Status >= 500 || api.Status == http.StatusTooManyRequests || strings.Contains(api.Code, "Throttl") ||
			api.Code == "TooManyRequestsException" || api.Code == "SlowDown"
	}
	return true
}
