package dev.spillway.filter.testing;

import jakarta.servlet.http.HttpServletRequest;
import java.util.HashMap;
import java.util.Map;

/**
 * A plain, settable HttpServletRequest for unit tests and benchmarks of the decision path, where a container would
 * add noise. Only what the filter reads is modelled; the rest answers null, false or 0.
 */
public class StubRequest implements HttpServletRequest {
    public String method = "GET";
    public String requestUri = "/";
    public String servletPath = "/";
    public String pathInfo;
    public String queryString;
    public String requestedSessionId;
    public boolean sessionIdValid;
    public String remoteAddr = "127.0.0.1";
    // Case-insensitive without lower-casing on lookup, so the stub itself allocates nothing per call.
    public final Map<String, String> headers = new java.util.TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    public final Map<String, Object> attributes = new HashMap<>();

    /** A GET of {@code path} mapped to the default servlet: servletPath = path, no pathInfo. */
    public static StubRequest get(String path) {
        StubRequest r = new StubRequest();
        r.requestUri = path;
        r.servletPath = path;
        return r;
    }

    public StubRequest header(String name, String value) {
        headers.put(name, value);
        return this;
    }

    @Override
    public java.lang.String getAuthType() {
        return null;
    }

    @Override
    public jakarta.servlet.http.Cookie[] getCookies() {
        return null;
    }

    @Override
    public long getDateHeader(java.lang.String a0) {
        return -1;
    }

    @Override
    public java.lang.String getHeader(java.lang.String a0) {
        return headers.get(a0);
    }

    @Override
    public java.util.Enumeration<java.lang.String> getHeaders(java.lang.String a0) {
        String v = getHeader(a0); return java.util.Collections.enumeration(v == null ? java.util.List.<String>of() : java.util.List.of(v));
    }

    @Override
    public java.util.Enumeration<java.lang.String> getHeaderNames() {
        return java.util.Collections.enumeration(headers.keySet());
    }

    @Override
    public int getIntHeader(java.lang.String a0) {
        return -1;
    }

    @Override
    public java.lang.String getMethod() {
        return method;
    }

    @Override
    public java.lang.String getPathInfo() {
        return pathInfo;
    }

    @Override
    public java.lang.String getPathTranslated() {
        return null;
    }

    @Override
    public java.lang.String getContextPath() {
        return "";
    }

    @Override
    public java.lang.String getQueryString() {
        return queryString;
    }

    @Override
    public java.lang.String getRemoteUser() {
        return null;
    }

    @Override
    public boolean isUserInRole(java.lang.String a0) {
        return false;
    }

    @Override
    public java.security.Principal getUserPrincipal() {
        return null;
    }

    @Override
    public java.lang.String getRequestedSessionId() {
        return requestedSessionId;
    }

    @Override
    public java.lang.String getRequestURI() {
        return requestUri;
    }

    @Override
    public java.lang.StringBuffer getRequestURL() {
        return new StringBuffer("http://localhost").append(requestUri);
    }

    @Override
    public java.lang.String getServletPath() {
        return servletPath;
    }

    @Override
    public jakarta.servlet.http.HttpSession getSession(boolean a0) {
        return null;
    }

    @Override
    public jakarta.servlet.http.HttpSession getSession() {
        return null;
    }

    @Override
    public java.lang.String changeSessionId() {
        return null;
    }

    @Override
    public boolean isRequestedSessionIdValid() {
        return sessionIdValid;
    }

    @Override
    public boolean isRequestedSessionIdFromCookie() {
        return false;
    }

    @Override
    public boolean isRequestedSessionIdFromURL() {
        return false;
    }

    @Override
    public boolean authenticate(jakarta.servlet.http.HttpServletResponse a0) throws java.io.IOException, jakarta.servlet.ServletException {
        return false;
    }

    @Override
    public void login(java.lang.String a0, java.lang.String a1) throws jakarta.servlet.ServletException {
        
    }

    @Override
    public void logout() throws jakarta.servlet.ServletException {
        
    }

    @Override
    public java.util.Collection<jakarta.servlet.http.Part> getParts() throws java.io.IOException, jakarta.servlet.ServletException {
        return null;
    }

    @Override
    public jakarta.servlet.http.Part getPart(java.lang.String a0) throws java.io.IOException, jakarta.servlet.ServletException {
        return null;
    }

    @Override
    public <T extends jakarta.servlet.http.HttpUpgradeHandler> T upgrade(java.lang.Class<T> a0) throws java.io.IOException, jakarta.servlet.ServletException {
        return null;
    }

    @Override
    public java.lang.Object getAttribute(java.lang.String a0) {
        return attributes.get(a0);
    }

    @Override
    public java.util.Enumeration<java.lang.String> getAttributeNames() {
        return java.util.Collections.enumeration(attributes.keySet());
    }

    @Override
    public java.lang.String getCharacterEncoding() {
        return null;
    }

    @Override
    public void setCharacterEncoding(java.lang.String a0) throws java.io.UnsupportedEncodingException {
        
    }

    @Override
    public int getContentLength() {
        return -1;
    }

    @Override
    public long getContentLengthLong() {
        return -1;
    }

    @Override
    public java.lang.String getContentType() {
        return null;
    }

    @Override
    public jakarta.servlet.ServletInputStream getInputStream() throws java.io.IOException {
        return null;
    }

    @Override
    public java.lang.String getParameter(java.lang.String a0) {
        return null;
    }

    @Override
    public java.util.Enumeration<java.lang.String> getParameterNames() {
        return null;
    }

    @Override
    public java.lang.String[] getParameterValues(java.lang.String a0) {
        return null;
    }

    @Override
    public java.util.Map<java.lang.String, java.lang.String[]> getParameterMap() {
        return null;
    }

    @Override
    public java.lang.String getProtocol() {
        return "HTTP/1.1";
    }

    @Override
    public java.lang.String getScheme() {
        return "http";
    }

    @Override
    public java.lang.String getServerName() {
        return "localhost";
    }

    @Override
    public int getServerPort() {
        return 80;
    }

    @Override
    public java.io.BufferedReader getReader() throws java.io.IOException {
        return null;
    }

    @Override
    public java.lang.String getRemoteAddr() {
        return remoteAddr;
    }

    @Override
    public java.lang.String getRemoteHost() {
        return null;
    }

    @Override
    public void setAttribute(java.lang.String a0, java.lang.Object a1) {
        attributes.put(a0, a1);
    }

    @Override
    public void removeAttribute(java.lang.String a0) {
        attributes.remove(a0);
    }

    @Override
    public java.util.Locale getLocale() {
        return null;
    }

    @Override
    public java.util.Enumeration<java.util.Locale> getLocales() {
        return null;
    }

    @Override
    public boolean isSecure() {
        return false;
    }

    @Override
    public jakarta.servlet.RequestDispatcher getRequestDispatcher(java.lang.String a0) {
        return null;
    }

    @Override
    public int getRemotePort() {
        return 40000;
    }

    @Override
    public java.lang.String getLocalName() {
        return null;
    }

    @Override
    public java.lang.String getLocalAddr() {
        return null;
    }

    @Override
    public int getLocalPort() {
        return 80;
    }

    @Override
    public jakarta.servlet.ServletContext getServletContext() {
        return null;
    }

    @Override
    public jakarta.servlet.AsyncContext startAsync() throws java.lang.IllegalStateException {
        return null;
    }

    @Override
    public jakarta.servlet.AsyncContext startAsync(jakarta.servlet.ServletRequest a0, jakarta.servlet.ServletResponse a1) throws java.lang.IllegalStateException {
        return null;
    }

    @Override
    public boolean isAsyncStarted() {
        return false;
    }

    @Override
    public boolean isAsyncSupported() {
        return false;
    }

    @Override
    public jakarta.servlet.AsyncContext getAsyncContext() {
        return null;
    }

    @Override
    public jakarta.servlet.DispatcherType getDispatcherType() {
        return jakarta.servlet.DispatcherType.REQUEST;
    }

    @Override
    public java.lang.String getRequestId() {
        return null;
    }

    @Override
    public java.lang.String getProtocolRequestId() {
        return null;
    }

    @Override
    public jakarta.servlet.ServletConnection getServletConnection() {
        return null;
    }
}
