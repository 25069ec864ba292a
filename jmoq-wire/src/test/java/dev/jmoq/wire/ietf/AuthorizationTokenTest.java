package dev.jmoq.wire.ietf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.jmoq.wire.ProtocolException;
import org.junit.jupiter.api.Test;

/** The AUTHORIZATION_TOKEN value's alias structure (drafts 14-20): each alias type, and malformed ones. */
class AuthorizationTokenTest {
    private static final IetfVersion V = IetfVersion.DRAFT_18;

    @Test
    void useValueIsTypeThenTheValueToTheEnd() throws Exception {
        AuthorizationToken t = AuthorizationToken.useValue(5, Octets.utf8("a.b.c"));
        Octets wire = t.encode(V);
        assertEquals(Octets.hex("0305612e622e63"), wire);
        assertEquals(t, AuthorizationToken.decode(wire, V));
    }

    @Test
    void registerCarriesAnAliasAndAValueDeleteAndUseAliasOnlyTheAlias() throws Exception {
        assertEquals(new AuthorizationToken(AuthorizationToken.REGISTER, 7, 1, Octets.utf8("x")),
                AuthorizationToken.decode(Octets.hex("01070178"), V));
        assertEquals(new AuthorizationToken(AuthorizationToken.USE_ALIAS, 7, -1, Octets.EMPTY),
                AuthorizationToken.decode(Octets.hex("0207"), V));
        assertEquals(new AuthorizationToken(AuthorizationToken.DELETE, 7, -1, Octets.EMPTY),
                AuthorizationToken.decode(Octets.hex("0007"), V));
    }

    @Test
    void malformedTokensAreMalformedAuthToken() {
        for (String hex : new String[] {"", "04", "01", "0107", "020700"}) {
            ProtocolException e = assertThrows(ProtocolException.class, () -> AuthorizationToken.decode(Octets.hex(hex), V));
            assertEquals(IetfErrorCode.MALFORMED_AUTH_TOKEN.code(), e.code(), hex);
        }
    }
}
