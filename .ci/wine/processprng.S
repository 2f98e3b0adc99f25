# bcryptprimitives.dll with one export, ProcessPrng, for Wine 8.0 (Debian
# 12), which has no bcryptprimitives.dll: Go 1.22+ programs for Windows
# load it at start to get random bytes and stop with "bcryptprimitives.dll
# not found" without it. ProcessPrng(PBYTE buf, SIZE_T len) fills buf and
# always returns TRUE; this fills it through advapi32's SystemFunction036
# (RtlGenRandom), which Wine has, in pieces of at most 1 GiB because
# RtlGenRandom takes a 32-bit length. Only test.sh --windows builds it
# (GNU as and ld from binutils-mingw-w64); Windows itself has the real DLL.
	.text
	.globl	ProcessPrng
ProcessPrng:
	push	%rsi
	push	%rdi
	sub	$40, %rsp		# 32 bytes of shadow space, and %rsp 16-aligned
	mov	%rcx, %rsi		# buf
	mov	%rdx, %rdi		# len
1:	test	%rdi, %rdi
	jz	2f
	mov	$0x40000000, %rdx
	cmp	%rdx, %rdi
	cmovb	%rdi, %rdx		# piece = min(len, 1 GiB)
	sub	%rdx, %rdi
	mov	%rsi, %rcx
	add	%rdx, %rsi
	call	*__imp_SystemFunction036(%rip)
	test	%al, %al		# RtlGenRandom's BOOLEAN: FALSE on failure
	jz	3f
	jmp	1b
2:	mov	$1, %eax
	jmp	4f
3:	xor	%eax, %eax
4:	add	$40, %rsp
	pop	%rdi
	pop	%rsi
	ret
