//go:build windows

package prompt

// ttyIn and ttyOut are the console's input and output, opened apart.
const ttyIn, ttyOut = "CONIN$", "CONOUT$"
