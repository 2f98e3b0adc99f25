package awsapi

import (
	"context"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/mfa-git/mfa-git/profile"
)

const iamVersion = "2010-05-08"

// MFADevices lists the serial numbers (ARNs) of the MFA devices of the
// IAM user who owns p's long-term key. The self-managed-MFA policy allows
// iam:ListMFADevices without MFA, which is how setup finds mfa_serial.
func (cl Client) MFADevices(ctx context.Context, p *profile.Profile) ([]string, error) {
	ctx, cancel := context.WithTimeout(ctx, cl.call())
	defer cancel()
	iamProfile := *p
	iamProfile.Endpoint = p.IAMEndpoint
	if iamProfile.Endpoint == "" {
		// IAM is global: one endpoint per partition, signed for its home region.
		iamProfile.Endpoint, iamProfile.Region = "https://iam.amazonaws.com", "us-east-1"
		if strings.HasPrefix(p.Region, "cn-") {
			iamProfile.Endpoint, iamProfile.Region = "https://iam.cn-north-1.amazonaws.com.cn", "cn-north-1"
		} else if strings.HasPrefix(p.Region, "us-gov-") {
			iamProfile.Endpoint, iamProfile.Region = "https://iam.us-gov.amazonaws.com", "us-gov-west-1"
		}
	}
	c, err := newQueryClient(&iamProfile, "iam", iamVersion, aws.Credentials{AccessKeyID: p.AccessKeyID, SecretAccessKey: p.SecretAccessKey}, cl.attempt())
	if err != nil {
		return nil, err
	}
	var out struct {
		Serials []string `xml:"ListMFADevicesResult>MFADevices>member>SerialNumber"`
	}
	if err := c.call(ctx, "ListMFADevices", nil, &out); err != nil {
		return nil, cl.explain(err, &iamProfile, "ListMFADevices")
	}
	return out.Serials, nil
}
