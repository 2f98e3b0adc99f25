#!/bin/sh
# The walk-through's GIT_ASKPASS program. mfa-git runs it with its question
# when it needs an MFA code; it shows the code the sandbox's MFA device
# shows at that moment (as an authenticator app would; one with at least
# ten seconds left to type it, else the next step's), then reads what
# the person types on the terminal, without echo, and prints it.
code=$(mfa-git-sandbox code-to-type "$MFA_GIT_SANDBOX_STS") || exit 1
# Echo off before the question is shown: a code typed the moment it
# appears must not be echoed.
stty -echo </dev/tty 2>/dev/null
printf '\n(sandbox: the MFA device shows %s now)\n%s ' "$code" "$1" >/dev/tty
IFS= read -r answer </dev/tty || answer=
stty echo </dev/tty 2>/dev/null
printf '\n' >/dev/tty
printf '%s\n' "$answer"
