# Runs the AWS CLI's own `aws configure get KEY --profile P` code for
# many files and keys in one process: spawning `aws` per key costs about
# 0.4 s, and even driver.main per key 11 ms. Per file it makes the CLI's
# driver (create_clidriver, as the aws script does), sets the profile as
# --profile does, and runs the configure get command's own code
# (ConfigureGetCommand._run_main); TestCLIInProcessMatchesBinary checks
# the answers against the real aws command.
#
# stdin: one JSON object per line,
#   {"config": PATH, "credentials": PATH, "queries": [[PROFILE, KEY], ...]}
# stdout: one JSON list per input line, one [rc, stdout, stderr] per query.
import argparse
import io
import json
import os
import sys

from awscli.clidriver import create_clidriver
from awscli.customizations.configure.get import ConfigureGetCommand
from botocore.exceptions import ProfileNotFound

out = sys.stdout
for line in sys.stdin:
    job = json.loads(line)
    os.environ["AWS_CONFIG_FILE"] = job["config"]
    os.environ["AWS_SHARED_CREDENTIALS_FILE"] = job["credentials"]
    answers = []
    try:
        # As in the aws script, an error here (a file it cannot parse)
        # ends the command: exit status 1, the exception on stderr.
        session = create_clidriver().session
    except Exception as x:
        err = "%s.%s: %s" % (type(x).__module__, type(x).__name__, x)
        out.write(json.dumps([[1, "", err] for _ in job["queries"]]) + "\n")
        out.flush()
        continue
    for profile, key in job["queries"]:
        o, e = io.StringIO(), io.StringIO()
        session.set_config_variable("profile", profile)
        cmd = ConfigureGetCommand(session, stream=o, error_stream=e)
        try:
            rc = cmd._run_main(argparse.Namespace(varname=key), None)
        except ProfileNotFound as x:
            # clidriver prints it so, with exit status 255.
            rc = 255
            e.write("\n%s\n" % x)
        answers.append([rc, o.getvalue(), e.getvalue()])
    out.write(json.dumps(answers) + "\n")
    out.flush()
