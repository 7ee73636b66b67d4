"""Bot API calls as JSON bodies instead of PTB's form data.

httpx form-encodes PTB's requests and quotes every byte of them in Python: for an answer of a
few hundred characters with its buttons that cost more than matching the question. The Bot API
takes JSON for every call without files; uploads still go through PTB's own HTTPXRequest.

Built on PTB's public BaseRequest with an httpx client of its own, so nothing here reaches into
PTB's private modules or HTTPXRequest's client.
"""

from __future__ import annotations

import json

import httpx
from telegram.error import NetworkError, TimedOut
from telegram.request import BaseRequest, HTTPXRequest, RequestData

Timeout = float | None | type(BaseRequest.DEFAULT_NONE)
"""A timeout in seconds, None for none, or BaseRequest.DEFAULT_NONE for "the request's default"."""
CONNECTIONS = 256
"""What ApplicationBuilder gives its own request object."""
TIMEOUTS = httpx.Timeout(5.0, pool=1.0)
"""HTTPXRequest's defaults: 5 s to connect, read and write, 1 s to wait for a free connection."""


def _chosen(value: Timeout, default: float | None) -> float | None:
    return default if value is BaseRequest.DEFAULT_NONE else value


class JsonRequest(BaseRequest):
    def __init__(self) -> None:
        self._uploads = HTTPXRequest(connection_pool_size=CONNECTIONS)
        self._http = self._new_client()

    @staticmethod
    def _new_client() -> httpx.AsyncClient:
        return httpx.AsyncClient(timeout=TIMEOUTS, limits=httpx.Limits(max_connections=CONNECTIONS))

    @property
    def read_timeout(self) -> float | None:
        return TIMEOUTS.read

    async def initialize(self) -> None:
        await self._uploads.initialize()
        if self._http.is_closed:  # shut down before: PTB may initialize a request again
            self._http = self._new_client()

    async def shutdown(self) -> None:
        await self._uploads.shutdown()
        await self._http.aclose()

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: Timeout = BaseRequest.DEFAULT_NONE,
        write_timeout: Timeout = BaseRequest.DEFAULT_NONE,
        connect_timeout: Timeout = BaseRequest.DEFAULT_NONE,
        pool_timeout: Timeout = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        if request_data is None or request_data.contains_files:
            return await self._uploads.do_request(
                url, method, request_data, read_timeout, write_timeout, connect_timeout, pool_timeout
            )
        if self._http.is_closed:
            raise RuntimeError("This JsonRequest is not initialized!")
        timeout = httpx.Timeout(
            connect=_chosen(connect_timeout, TIMEOUTS.connect),
            read=_chosen(read_timeout, TIMEOUTS.read),
            write=_chosen(write_timeout, TIMEOUTS.write),
            pool=_chosen(pool_timeout, TIMEOUTS.pool),
        )
        try:
            response = await self._http.request(
                method=method,
                url=url,
                headers={"User-Agent": self.USER_AGENT, "Content-Type": "application/json"},
                content=json.dumps(request_data.parameters).encode(),
                timeout=timeout,
            )
        except httpx.PoolTimeout as error:
            raise TimedOut("Pool timeout: all connections are busy; the request was not sent") from error
        except httpx.TimeoutException as error:
            raise TimedOut from error  # as PTB: the caller cannot know whether the message arrived
        except httpx.HTTPError as error:
            raise NetworkError(f"httpx.{error.__class__.__name__}: {error}") from error
        return response.status_code, response.content
