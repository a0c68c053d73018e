// SocketBio: OpenSSL's socket BIO, except that a write to a gone peer never raises SIGPIPE.
#pragma once

#include <openssl/bio.h>

namespace httpkit::detail {

// new_socket_bio returns a BIO over the connected socket fd that behaves as
// BIO_new_socket(fd, BIO_NOCLOSE) (same return values, retry flags, EOF flag and ctrl
// answers) but sends with MSG_NOSIGNAL: when the peer has reset the connection, a write
// fails with EPIPE instead of raising SIGPIPE, whose default action ends the process.
// Signal dispositions belong to the application (docs/decisions/0047-no-sigpipe.md).
// The BIO never closes fd. Returns nullptr when out of memory.
// When drained is given, each read stores there whether it emptied the socket (it
// returned less than asked for, or EAGAIN); the caller keeps *drained alive while the
// BIO lives.
BIO* new_socket_bio(int fd, bool* drained = nullptr);

}  // namespace httpkit::detail
