package awsapi

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"

	"github.com/mfa-git/mfa-git/internal/profile"
	"github.com/mfa-git/mfa-git/internal/testkit/sandboxtest"
	"github.com/mfa-git/mfa-git/internal/testkit/testenv"
)

// moto_server answers ListMFADevices without UserName by NoSuchEntity:
// MFADevices learns the user's name and asks again.
func TestMFADevicesAgainstMoto(t *testing.T) {
	// Started before the environment is cleared: moto_server fails
	// (HTTP 500) on IAM calls when AWS_DEFAULT_REGION is set but empty.
	url := testenv.Moto(t)
	testenv.ClearAWSEnv(t)
	ctx := context.Background()
	admin := Client{}.iamWith(&profile.Profile{Region: "us-east-1", IAMEndpoint: url},
		Credentials{AccessKeyID: "AKIAIOSFODNN7EXAMPLE", SecretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"}, http.DefaultClient)
	if _, err := admin.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("alice")}); err != nil {
		t.Fatal(err)
	}
	key, err := admin.CreateAccessKey(ctx, &iam.CreateAccessKeyInput{UserName: aws.String("alice")})
	if err != nil {
		t.Fatal(err)
	}
	dev, err := admin.CreateVirtualMFADevice(ctx, &iam.CreateVirtualMFADeviceInput{VirtualMFADeviceName: aws.String("alice")})
	if err != nil {
		t.Fatal(err)
	}
	serial := aws.ToString(dev.VirtualMFADevice.SerialNumber)
	if _, err := admin.EnableMFADevice(ctx, &iam.EnableMFADeviceInput{UserName: aws.String("alice"), SerialNumber: aws.String(serial),
		AuthenticationCode1: aws.String("123456"), AuthenticationCode2: aws.String("654321")}); err != nil {
		t.Fatal(err)
	}
	p := &profile.Profile{Name: "moto", AccessKeyID: aws.ToString(key.AccessKey.AccessKeyId), SecretAccessKey: aws.ToString(key.AccessKey.SecretAccessKey),
		Duration: time.Hour, Region: "us-east-1", IAMEndpoint: url}
	got, err := Client{}.MFADevices(ctx, p)
	if err != nil || len(got) != 1 || got[0] != serial {
		t.Fatalf("MFADevices = %q, %v; want [%s]", got, err, serial)
	}
}

// The sandbox's IAM behaves as AWS's: a user's own devices without
// UserName, and its refusals are labelled IAM.
func TestMFADevicesErrorsAgainstSandbox(t *testing.T) {
	sb, p := sandboxtest.Profile(t)
	p.IAMEndpoint = sb.STSURL
	unknown := *p
	unknown.AccessKeyID = "AKIAUNKNOWNUNKNOWNUN"
	_, err := Client{}.MFADevices(context.Background(), &unknown)
	if err == nil || !strings.Contains(err.Error(), "does not recognise the access key") {
		t.Fatalf("unknown key: %v", err)
	}
	sb.SetFault("5xx")
	defer sb.SetFault("")
	_, err = Client{}.MFADevices(context.Background(), p)
	if err == nil || !strings.Contains(err.Error(), "IAM ListMFADevices failed: InternalFailure") {
		t.Fatalf("5xx: %v", err)
	}
}
