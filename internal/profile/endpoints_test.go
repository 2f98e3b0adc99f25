package profile

import (
	"context"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"

	"github.com/mfa-git/mfa-git/internal/testkit/testenv"
)

// use_fips_endpoint, use_dualstack_endpoint and their environment
// variables are read as the SDK's loader reads them (the environment
// wins); sts_regional_endpoints, which the SDK for Go ignores, as the AWS
// CLI reads it.
func TestEndpointSettingsMatchSDK(t *testing.T) {
	tests := []struct {
		name, cfg      string
		env            map[string]string
		fips, dual     bool
		stsRegionalEnd string
	}{
		{"none", "", nil, false, false, ""},
		{"fips", "use_fips_endpoint = true\n", nil, true, false, ""},
		{"dual-stack", "use_dualstack_endpoint = TRUE\n", nil, false, true, ""},
		{"both false", "use_fips_endpoint = false\nuse_dualstack_endpoint = false\n", nil, false, false, ""},
		{"env wins", "use_fips_endpoint = false\n", map[string]string{"AWS_USE_FIPS_ENDPOINT": "true", "AWS_USE_DUALSTACK_ENDPOINT": "true"}, true, true, ""},
		{"env false wins", "use_fips_endpoint = true\n", map[string]string{"AWS_USE_FIPS_ENDPOINT": "false"}, false, false, ""},
		{"legacy", "sts_regional_endpoints = legacy\n", nil, false, false, "legacy"},
		{"regional", "sts_regional_endpoints = regional\n", nil, false, false, ""},
		{"legacy from env", "sts_regional_endpoints = regional\n", map[string]string{"AWS_STS_REGIONAL_ENDPOINTS": "legacy"}, false, false, "legacy"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			testenv.ClearAWSEnv(t)
			for _, k := range []string{"AWS_USE_FIPS_ENDPOINT", "AWS_USE_DUALSTACK_ENDPOINT", "AWS_STS_REGIONAL_ENDPOINTS"} {
				t.Setenv(k, tt.env[k])
			}
			f := writeFiles(t, "[profile base]\nmfa_serial = arn:aws:iam::123456789012:mfa/m\n"+tt.cfg, "[base]\naws_access_key_id = AKIAAAAAAAAAAAAAAAAA\naws_secret_access_key = s\n")
			p, err := Load(context.Background(), "base", f, nil)
			if err != nil {
				t.Fatal(err)
			}
			if p.UseFIPS != tt.fips || p.UseDualStack != tt.dual || p.STSRegionalEndpoints != tt.stsRegionalEnd {
				t.Errorf("got fips %v dual %v sts_regional_endpoints %q", p.UseFIPS, p.UseDualStack, p.STSRegionalEndpoints)
			}
			// The SDK's loader agrees (environment first, then the file).
			sdk, err := config.LoadSharedConfigProfile(context.Background(), "base", func(o *config.LoadSharedConfigOptions) {
				o.ConfigFiles, o.CredentialsFiles = []string{f.Config}, []string{f.Credentials}
			})
			if err != nil {
				t.Fatal(err)
			}
			env, err := config.NewEnvConfig()
			if err != nil {
				t.Fatal(err)
			}
			fips, dual := sdk.UseFIPSEndpoint, sdk.UseDualStackEndpoint
			if env.UseFIPSEndpoint != aws.FIPSEndpointStateUnset {
				fips = env.UseFIPSEndpoint
			}
			if env.UseDualStackEndpoint != aws.DualStackEndpointStateUnset {
				dual = env.UseDualStackEndpoint
			}
			if (fips == aws.FIPSEndpointStateEnabled) != p.UseFIPS || (dual == aws.DualStackEndpointStateEnabled) != p.UseDualStack {
				t.Errorf("SDK says fips %v dual %v", fips, dual)
			}
		})
	}
}
