// Echoes every port message: a worker that does no work at all.
chrome.runtime.onConnect.addListener((port) => port.onMessage.addListener((m) => port.postMessage(m)));
