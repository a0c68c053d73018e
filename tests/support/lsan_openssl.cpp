// LeakSanitizer suppression for test executables that use TLS; add this file to their
// sources (a static library member defining only this hook would never be linked in).
//
// OpenSSL keeps per-thread state (error queue, DRBGs, locks) for the runtime's
// scheduler threads, which live until the process exits, and global algorithm
// caches: LeakSanitizer runs before either is released, and libcrypto's frames cannot
// be unwound further. An OpenSSL object httpkit leaked would still be reported through
// its owner (a TlsConn, a CertKey), whose allocation is ours.
extern "C" const char* __lsan_default_suppressions() { return "leak:libcrypto.so\n"; }
