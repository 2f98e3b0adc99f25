// Package source is where sessions come from. A Source says what its
// sessions are filed under, how long they live and how a new one is made;
// Manager.Obtain is the one loop every source goes through: the agent,
// then the keystore, then the source's lock, then Make, then keep. MFAUser
// (an IAM user's keys and a one-time code) and Role (sts:AssumeRole on
// top of another source) are sources; For picks a profile's. The package
// also holds the code steps (a code is never sent twice), logout marks,
// and the agent's Refresher, which makes sessions without asking a person.
package source
