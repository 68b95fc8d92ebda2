"""A TCP proxy on a loopback port that a test can freeze (stop forwarding bytes), resume, cut, and stop."""
from __future__ import annotations

import select
import socket
import threading
import time


class FreezableProxy:
    """Forwards every accepted connection to ``upstream``; while frozen it accepts but passes nothing on."""

    def __init__(self, upstream: tuple[str, int]) -> None:
        self.upstream = upstream
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.listener.settimeout(0.1)
        self.port = self.listener.getsockname()[1]
        self.forwarding = threading.Event()
        self.forwarding.set()
        self._stopping = threading.Event()
        self._lock = threading.Lock()
        self._pairs: list[tuple[socket.socket, socket.socket]] = []
        self._threads = [threading.Thread(target=self._accept_loop, daemon=True)]

    def start(self) -> FreezableProxy:
        self._threads[0].start()
        return self

    def freeze(self) -> None:
        self.forwarding.clear()

    def resume(self) -> None:
        self.forwarding.set()

    def cut(self) -> None:
        """Close every open connection, as a database restart or a failover would."""
        with self._lock:
            pairs, self._pairs = self._pairs, []
        for pair in pairs:
            _close(*pair)

    def stop(self) -> None:
        self._stopping.set()
        self.forwarding.set()
        for thread in list(self._threads):
            thread.join(timeout=5)
        self.cut()
        self.listener.close()

    def _accept_loop(self) -> None:
        while not self._stopping.is_set():
            try:
                client, _address = self.listener.accept()
            except TimeoutError:
                continue
            upstream = socket.create_connection(self.upstream, timeout=5)
            upstream.settimeout(None)
            with self._lock:
                self._pairs.append((client, upstream))
            pump = threading.Thread(target=self._pump, args=(client, upstream), daemon=True)
            self._threads.append(pump)
            pump.start()

    def _pump(self, client: socket.socket, upstream: socket.socket) -> None:
        peers = {client: upstream, upstream: client}
        while not self._stopping.is_set():
            if not self.forwarding.is_set():
                time.sleep(0.05)
                continue
            try:
                readable, _, _ = select.select(list(peers), [], [], 0.1)
                for sock in readable:
                    data = sock.recv(65536)
                    if not data:
                        _close(client, upstream)
                        return
                    peers[sock].sendall(data)
            except (OSError, ValueError):  # closed by cut() or by the other side
                _close(client, upstream)
                return


def _close(*sockets: socket.socket) -> None:
    for sock in sockets:
        try:
            # shutdown first: the end of file goes out now, as a restarting server's does, even while the pump
            # thread's select still holds the socket (a bare close would send it only once that select returns).
            sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        try:
            sock.close()
        except OSError:
            pass
