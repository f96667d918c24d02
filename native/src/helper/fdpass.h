#ifndef PELAGOS_FDPASS_H
#define PELAGOS_FDPASS_H

/* Sends one fd over a unix socket (SCM_RIGHTS) with a one-byte payload. */
int pg_send_fd(int sock, int fd);
/* Receives one fd; returns it, or -1 (errno set; 0 bytes read gives ECONNRESET). */
int pg_recv_fd(int sock);
/* Connects to a unix socket path and sends the fd (the OCI --console-socket protocol). */
int pg_send_fd_to_path(const char *path, int fd);

#endif
