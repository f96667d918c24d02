#ifndef PELAGOS_FDPASS_H
#define PELAGOS_FDPASS_H

/* Sends one fd over a unix socket (SCM_RIGHTS) with a one-byte payload. */
int pg_send_fd(int sock, int fd);
/* Receives one fd; returns it, or -1 (errno set; 0 bytes read gives ECONNRESET). */
int pg_recv_fd(int sock);
/*
 * The OCI --console-socket protocol: connect to the unix socket at path (on the host, before any
 * namespace is joined, where the path means what the caller meant), later send the terminal on it.
 */
int pg_connect_console_socket(const char *path);
int pg_send_console(int sock, const char *path, int fd);

#endif
