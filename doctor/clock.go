package doctor

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"github.com/mfa-git/mfa-git/awsapi"
	"github.com/mfa-git/mfa-git/profile"
)

// checkClock compares the local clock with STS's Date header: AWS refuses
// signatures more than 15 minutes off, and CodeCommit passwords live 15.
func checkClock(ctx context.Context, p *profile.Profile) Check {
	endpoint := awsapi.STSURL(&profile.Profile{})
	if p != nil {
		endpoint = awsapi.STSURL(p)
	}
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, endpoint+"/", nil)
	before := time.Now()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return Check{"clock", Warn, "cannot reach " + endpoint + " to compare clocks: " + err.Error(), "check your network, or AWS_ENDPOINT_URL_STS"}
	}
	resp.Body.Close()
	server, err := http.ParseTime(resp.Header.Get("Date"))
	if err != nil {
		return Check{"clock", Warn, endpoint + " sent no Date header", ""}
	}
	skew := before.Add(time.Since(before) / 2).Sub(server).Round(time.Second)
	detail := fmt.Sprintf("local clock is %s %s %s", skew.Abs(), map[bool]string{true: "ahead of", false: "behind"}[skew >= 0], endpoint)
	switch {
	case skew.Abs() > 5*time.Minute:
		return Check{"clock", Fail, detail + "; AWS refuses requests signed more than 15 minutes off, and CodeCommit passwords last 15 minutes", "set the clock right: timedatectl set-ntp true (Linux), or enable automatic time in the system settings"}
	case skew.Abs() > time.Minute:
		return Check{"clock", Warn, detail, "set the clock right: timedatectl set-ntp true"}
	}
	return Check{"clock", OK, detail, ""}
}
