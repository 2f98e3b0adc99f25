package awsapi

import (
	"errors"
	"fmt"
	"net/http"
	"strings"

	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/smithy-go"
)

// APIError is an error answer from an AWS API.
type APIError struct {
	Status  int
	Code    string
	Message string
	// Reason is an OAuth error ("invalid_grant", "TOKEN_EXPIRED") that
	// SSO OIDC and the sign-in service add to their code, or "".
	Reason string
	err    error // the SDK's error, when it came from one
}

// Error is AWS's code and message, with the HTTP status.
func (e *APIError) Error() string {
	return fmt.Sprintf("%s: %s (HTTP %d)", e.Code, e.Message, e.Status)
}

// Unwrap returns the SDK's error behind e, if any.
func (e *APIError) Unwrap() error { return e.err }

// apiError turns the SDK's error answers (smithy.APIError, or an HTTP
// error status whose body held no AWS error) into *APIError; other errors
// (network, deadline, malformed answers) are returned as they are.
func apiError(err error) error {
	status := 0
	var re *awshttp.ResponseError
	if errors.As(err, &re) {
		status = re.HTTPStatusCode()
	}
	var ae smithy.APIError
	if errors.As(err, &ae) {
		return &APIError{Status: status, Code: ae.ErrorCode(), Message: strings.TrimSpace(ae.ErrorMessage()), err: err}
	}
	if status >= 400 {
		return &APIError{Status: status, Code: http.StatusText(status), Message: "no AWS error in the answer", err: err}
	}
	return err
}
