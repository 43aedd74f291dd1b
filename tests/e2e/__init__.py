"""End to end: tiny real models, the browser, Ray, the app server, real files from ../shared."""
