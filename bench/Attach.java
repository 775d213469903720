import com.sun.tools.attach.VirtualMachine;

/**
 * Sends one command to async-profiler inside a running JVM: {@code java bench/Attach.java PID LIBRARY COMMAND}.
 * jcmd's JVMTI.agent_load cannot pass async-profiler's "key=value" options (it parses them as its own).
 */
public class Attach {
    public static void main(String[] args) throws Exception {
        VirtualMachine vm = VirtualMachine.attach(args[0]);
        try {
            vm.loadAgentPath(args[1], args[2]);
        } finally {
            vm.detach();
        }
    }
}
