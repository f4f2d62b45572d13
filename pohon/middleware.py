"""One request, one event in the history: every history entry a request writes (an admin's bulk
deletion, an admin form that moves and changes a node) shares one ``NodeRiwayat.peristiwa``."""

from pohon.history import riwayat_peristiwa


class RiwayatPeristiwaMiddleware:
    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request):
        with riwayat_peristiwa():
            return self.get_response(request)
