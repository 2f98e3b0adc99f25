package awsapi

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sts"

	"github.com/mfa-git/mfa-git/internal/hint"
	"github.com/mfa-git/mfa-git/internal/profile"
)

// RoleRequest is one sts:AssumeRole call.
type RoleRequest struct {
	RoleARN, SessionName, ExternalID string
	Duration                         time.Duration // 0: AWS's default (1 h)
}

// AssumeRole calls sts:AssumeRole signed with caller (an MFA session's
// credentials; no token code is sent). p is the source profile: it gives
// the endpoint settings and its name for messages. It returns the role
// session and its assumed-role ARN.
func (cl Client) AssumeRole(ctx context.Context, p *profile.Profile, caller Credentials, r RoleRequest) (*Credentials, string, error) {
	ctx, cancel := context.WithTimeout(ctx, cl.call())
	defer cancel()
	c, err := cl.sts(p, aws.Credentials{AccessKeyID: caller.AccessKeyID, SecretAccessKey: caller.SecretAccessKey, SessionToken: caller.SessionToken})
	if err != nil {
		return nil, "", err
	}
	in := &sts.AssumeRoleInput{RoleArn: aws.String(r.RoleARN), RoleSessionName: aws.String(r.SessionName)}
	if r.ExternalID != "" {
		in.ExternalId = aws.String(r.ExternalID)
	}
	if r.Duration > 0 {
		in.DurationSeconds = aws.Int32(int32(r.Duration / time.Second))
	}
	out, err := c.AssumeRole(ctx, in)
	if err != nil {
		return nil, "", cl.explainAssumeRole(err, p, r)
	}
	s, err := credentials("AssumeRole", out.Credentials)
	if err != nil {
		return nil, "", err
	}
	var arn string
	if out.AssumedRoleUser != nil {
		arn = aws.ToString(out.AssumedRoleUser.Arn)
	}
	return s, arn, nil
}

// explainAssumeRole maps AssumeRole's own refusals; the rest are STS's
// common errors.
func (cl Client) explainAssumeRole(err error, p *profile.Profile, r RoleRequest) error {
	var api *APIError
	if errors.As(apiError(err), &api) {
		switch {
		case api.Code == "AccessDenied" && !strings.Contains(api.Message, "MFA"):
			return hint.New(api, fmt.Sprintf("AWS refused to let profile %q assume role %s", p.Name, r.RoleARN),
				"the role's trust policy does not allow this user, or it requires MFA and the caller had none (AWS's message cannot tell which); ask the role's owner to check its trust policy")
		case api.Code == "ValidationError" && strings.Contains(api.Message, "role chaining"):
			return hint.New(api, fmt.Sprintf("AWS limits a role session made from temporary credentials (role chaining, as mfa-git does from its MFA session) to 1 hour; %s asked for %s", r.RoleARN, r.Duration),
				"set duration_seconds to 3600 or less in the role profile")
		case api.Code == "ValidationError" && strings.Contains(api.Message, "MaxSessionDuration"):
			return hint.New(api, fmt.Sprintf("role %s allows sessions shorter than the %s asked for", r.RoleARN, r.Duration),
				"lower duration_seconds in the role profile, or raise the role's maximum session duration")
		case api.Code == "ValidationError":
			return hint.New(api, fmt.Sprintf("STS refused AssumeRole of %s: %s", r.RoleARN, api.Message),
				"check role_arn, role_session_name, external_id and duration_seconds in the role profile")
		}
	}
	return cl.explain(err, p, "STS", "AssumeRole", STSURL(p))
}
