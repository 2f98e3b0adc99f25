package awsapi

import (
	"context"
	"errors"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"

	"github.com/mfa-git/mfa-git/internal/profile"
)

// MFADevices lists the serial numbers (ARNs) of the MFA devices of the
// IAM user who owns p's long-term key. The self-managed-MFA policy allows
// iam:ListMFADevices without MFA, which is how setup finds mfa_serial.
//
// IAM names the user from the signing key when UserName is absent;
// moto_server answers that call with NoSuchEntity instead, so on that
// answer the user's name is asked with iam:GetUser (allowed by the same
// policy) and the list asked again by name.
func (cl Client) MFADevices(ctx context.Context, p *profile.Profile) ([]string, error) {
	ctx, cancel := context.WithTimeout(ctx, cl.call())
	defer cancel()
	hc, err := httpClient(p, cl.attempt(), cl.Trace)
	if err != nil {
		return nil, err
	}
	_, o := options(p, aws.Credentials{AccessKeyID: p.AccessKeyID, SecretAccessKey: p.SecretAccessKey}, hc)
	c := iam.New(o)
	endpoint := IAMURL(p)
	out, err := c.ListMFADevices(ctx, &iam.ListMFADevicesInput{})
	var api *APIError
	if err != nil && errors.As(apiError(err), &api) && strings.HasPrefix(api.Code, "NoSuchEntity") {
		var user *iam.GetUserOutput
		user, err = c.GetUser(ctx, &iam.GetUserInput{})
		if err != nil {
			return nil, cl.explain(err, p, "IAM", "GetUser", endpoint)
		}
		if user.User == nil || aws.ToString(user.User.UserName) == "" {
			return nil, cl.explain(errors.New("IAM answered GetUser without a user name"), p, "IAM", "GetUser", endpoint)
		}
		out, err = c.ListMFADevices(ctx, &iam.ListMFADevicesInput{UserName: user.User.UserName})
	}
	if err != nil {
		return nil, cl.explain(err, p, "IAM", "ListMFADevices", endpoint)
	}
	var serials []string
	for _, d := range out.MFADevices {
		serials = append(serials, aws.ToString(d.SerialNumber))
	}
	return serials, nil
}
