//go:build !linux

package main

import "os/exec"

// detach does nothing here: the spinners' own deadline bounds them.
func detach(*exec.Cmd) {}

// killGroup kills cmd's process alone.
func killGroup(cmd *exec.Cmd) error { return cmd.Process.Kill() }
