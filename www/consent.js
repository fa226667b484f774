// The consent link's page: the token travels in the URL fragment (it never reaches a server log)
// and is handed to the <onbehalf-consent> element.
document.querySelector('#consent').token = new URLSearchParams(location.hash.slice(1)).get('token') ?? '';
