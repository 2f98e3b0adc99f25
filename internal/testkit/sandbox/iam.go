package sandbox

import (
	"fmt"
	"net/http"
)

const iamNS = "https://iam.amazonaws.com/doc/2010-05-08/"

// listMFADevices answers iam:ListMFADevices as IAM does, under the
// self-managed-MFA policy (a user may list their own devices):
//
//   - without UserName, the devices of the user who signed the request
//     ("IAM determines the user name implicitly based on the AWS access
//     key ID signing the request"); moto_server answers NoSuchEntity here
//     instead, which is why the sandbox, not moto, is the reference;
//   - without UserName from a role session: ValidationError, as IAM
//     answers any implicit-user call made with non-user credentials;
//   - with a GetSessionToken session made without MFA: InvalidClientTokenId
//     (such sessions may call no IAM API);
//   - UserName of another user: AccessDenied; of no user: NoSuchEntity.
func (sb *Sandbox) listMFADevices(w http.ResponseWriter, r *http.Request, caller *stsSession, u *IAMUser) {
	if caller != nil && caller.role == nil && !caller.mfa {
		errorNS(w, iamNS, 403, "InvalidClientTokenId", "The security token included in the request is invalid")
		return
	}
	target := u
	if name := r.PostForm.Get("UserName"); name != "" {
		target = sb.UserNamed(name)
		if target == nil {
			errorNS(w, iamNS, 404, "NoSuchEntity", fmt.Sprintf("The user with name %s cannot be found.", name))
			return
		}
		if (caller == nil || caller.role == nil) && target != u {
			errorNS(w, iamNS, 403, "AccessDenied", fmt.Sprintf(
				"User: %s is not authorized to perform: iam:ListMFADevices on resource: user %s because no identity-based policy allows the iam:ListMFADevices action",
				u.ARN(), target.Name))
			return
		}
	} else if caller != nil && caller.role != nil {
		errorNS(w, iamNS, 400, "ValidationError", "Must specify userName when calling with non-User credentials")
		return
	}
	writeXMLNS(w, iamNS, "ListMFADevices", fmt.Sprintf(
		"<IsTruncated>false</IsTruncated><MFADevices><member><UserName>%s</UserName><SerialNumber>%s</SerialNumber><EnableDate>2024-01-01T00:00:00Z</EnableDate></member></MFADevices>",
		xmlEscape(target.Name), xmlEscape(target.MFASerial)))
}
