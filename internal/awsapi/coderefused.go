package awsapi

import (
	"errors"
	"fmt"
	"net/http"
	"time"

	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"

	"github.com/mfa-git/mfa-git/internal/hint"
)

// ErrCodeRefused is wrapped by the error for an MFA code STS refused.
// AWS gives one answer for a mistyped code, a code already used, and a
// code from a clock that is off, so the message names all three, and
// the clock when AWS's answer shows this computer's is off.
var ErrCodeRefused = errors.New("the MFA code was refused")

// maxCodeSkew is how far this computer's clock may be from AWS's before
// the codes a token command computes from it (one 30-second step) miss.
const maxCodeSkew = 30 * time.Second

// codeRefused explains STS's "invalid MFA one time pass code" answer.
func codeRefused(err error) error {
	err = fmt.Errorf("%w: %w", ErrCodeRefused, err)
	if skew, ok := clockOffset(err, time.Now()); ok && (skew >= maxCodeSkew || skew <= -maxCodeSkew) {
		side := "behind"
		if skew < 0 {
			side = "ahead of"
		}
		// AWS's Date has whole seconds: say minutes when there are some.
		off := skew.Abs().Round(time.Second)
		if off >= time.Minute {
			off = off.Round(time.Minute)
		}
		return hint.New(err, fmt.Sprintf("AWS refused the MFA code, and this computer's clock is %s %s AWS's: a token command (mfa_process) computes its codes from this clock", off, side),
			"set the clock right (timedatectl set-ntp true on Linux, automatic time in the system settings elsewhere), then try again")
	}
	return hint.New(err, "AWS refused the MFA code: it was mistyped, already used (each code works once), or the device's clock is off",
		"type the code your device shows now; if codes keep being refused, check the time on the device")
}

// clockOffset is how far AWS's clock (the Date of its answer) is ahead of
// now, and whether the answer carried a date.
func clockOffset(err error, now time.Time) (time.Duration, bool) {
	var re *awshttp.ResponseError
	if !errors.As(err, &re) || re.Response == nil {
		return 0, false
	}
	date, perr := http.ParseTime(re.Response.Header.Get("Date"))
	if perr != nil {
		return 0, false
	}
	return date.Sub(now), true
}
