package dev.spillway.agent.testing;

import java.util.Map;
import javax.management.Attribute;
import javax.management.AttributeList;
import javax.management.AttributeNotFoundException;
import javax.management.DynamicMBean;
import javax.management.MBeanAttributeInfo;
import javax.management.MBeanInfo;

/** An MBean with fixed attributes under exact names, like Tomcat's and Jetty's lower-case ones. */
public final class MapMBean implements DynamicMBean {
    private final Map<String, Object> values;

    public MapMBean(Map<String, Object> values) {
        this.values = values;
    }

    @Override
    public Object getAttribute(String name) throws AttributeNotFoundException {
        if (!values.containsKey(name)) {
            throw new AttributeNotFoundException(name);
        }
        return values.get(name);
    }

    @Override
    public void setAttribute(Attribute attribute) {
        throw new UnsupportedOperationException();
    }

    @Override
    public AttributeList getAttributes(String[] names) {
        AttributeList list = new AttributeList();
        for (String n : names) {
            if (values.containsKey(n)) {
                list.add(new Attribute(n, values.get(n)));
            }
        }
        return list;
    }

    @Override
    public AttributeList setAttributes(AttributeList attributes) {
        return new AttributeList();
    }

    @Override
    public Object invoke(String actionName, Object[] params, String[] signature) {
        throw new UnsupportedOperationException(actionName);
    }

    @Override
    public MBeanInfo getMBeanInfo() {
        MBeanAttributeInfo[] attrs = values.entrySet().stream().map(e -> new MBeanAttributeInfo(e.getKey(),
                e.getValue().getClass().getName(), e.getKey(), true, false, false)).toArray(MBeanAttributeInfo[]::new);
        return new MBeanInfo(MapMBean.class.getName(), "test", attrs, null, null, null);
    }
}
