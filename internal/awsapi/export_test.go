package awsapi

import (
	"net/http"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/sts"

	"github.com/mfa-git/mfa-git/internal/profile"
)

// stsWith and iamWith build the product's clients over hc.
func (Client) stsWith(p *profile.Profile, c Credentials, hc *http.Client) *sts.Client {
	o, _ := options(p, aws.Credentials{AccessKeyID: c.AccessKeyID, SecretAccessKey: c.SecretAccessKey}, hc)
	return sts.New(o)
}

func (Client) iamWith(p *profile.Profile, c Credentials, hc *http.Client) *iam.Client {
	_, o := options(p, aws.Credentials{AccessKeyID: c.AccessKeyID, SecretAccessKey: c.SecretAccessKey}, hc)
	return iam.New(o)
}
