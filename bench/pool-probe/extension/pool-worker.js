// One signer of the pool: signs every payload of a message with the key it was given first.
let key = null;
onmessage = async ({ data }) => {
  if (data.key) {
    key = data.key;
    return;
  }
  const signatures = await Promise.all(data.payloads.map(async (p) => new Uint8Array(await crypto.subtle.sign('Ed25519', key, p))));
  postMessage({ id: data.id, signatures });
};
