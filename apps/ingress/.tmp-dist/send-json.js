/** A small JSON response, written in one go. */
export function sendJson(res, status, body, headers = {}) {
    const text = JSON.stringify(body);
    res.writeHead(status, {
        'content-type': 'application/json; charset=utf-8',
        'content-length': String(Buffer.byteLength(text)),
        ...headers,
    });
    res.end(text);
}
//# sourceMappingURL=send-json.js.map