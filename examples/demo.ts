console.log("ocfkit demo: coming with @ocfkit/ocf");
